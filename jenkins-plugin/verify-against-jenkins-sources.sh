#!/usr/bin/env bash
# Checks the plugin's Java sources against the real Jenkins API where the Jenkins Maven repository
# (jenkins-core, plugin jars, the plugin parent POM) cannot be reached: javac compiles the plugin
# classes with the *sources* of Jenkins core, Stapler and the plugins it uses on the source path,
# and plain libraries from Maven Central on the class path.
#
# This script downloads no Jenkins code and contains none. You supply source trees (for example
# `git archive <tag> | tar -x` of each repository at the version the plugin's BOM pins) and it:
#   1. collects every `src/main/java` under the given trees (the source path);
#   2. generates, in a temporary directory, compile-only stubs for classes that Jenkins builds
#      generate (localizer `Messages` from Messages.properties, ANTLR parsers from *.g4);
#   3. resolves the third-party jars Jenkins core compiles against from Maven Central (or uses
#      --jars DIR);
#   4. compiles shared-policy (or uses --shared-policy-classes DIR);
#   5. runs `javac --release 17 -implicit:none -proc:none -Xlint:deprecation,unchecked` on
#      jenkins-plugin/src/main/java (and, with --with-tests, src/test/java);
#   6. checks every .jelly file and the POM are well-formed XML, and parses the POM strictly with
#      Maven's model reader;
#   7. with --spotbugs, runs SpotBugs (from Maven Central) on the plugin classes with the detectors
#      the Jenkins plugin POM omits left out, failing on any finding. Jenkins' own classes are only
#      sources here, so SpotBugs sees them as missing: a weaker check than the hpi build's;
#   8. with --protocol-test, runs StubGateProtocolTest (the tests' stub gate against
#      shared-policy's real client and waiter; no Jenkins involved) with the JUnit console.
# It exits non-zero on the first failure. Nothing is written inside the repository except
# shared-policy/target when it builds shared-policy.
#
# Trees: every source tree the plugin's classes reach, at the versions the plugin's BOM (or Jenkins
# core 2.541.3's BOM) pins -- jenkins core/cli/websocket-spi, stapler, remoting, jelly, json-lib,
# the lib-* helper libraries, bridge-method-injector, constant-pool-scanner, winp, and the plugins
# workflow-step-api, workflow-api, structs, credentials, plain-credentials; with --with-tests also
# jenkins-test-harness, workflow-cps (+ its SnippetizerTester), workflow-job, workflow-support,
# script-security, scm-api, support-core, groovy-sandbox, metrics, lib-support-log-formatter and
# the jellydoc annotations. kohsuke/tiger-types goes in as --legacy (it uses `_` as an identifier,
# so it is compiled alone with --release 8). jenkins-plugin/README.md lists the exact tags of the
# last run. Test libraries (JUnit, AssertJ, Hamcrest, htmlunit, Jetty 12 ee9/ee10, Mockito, JBoss
# Marshalling, Caffeine, Dropwizard Metrics) come from Maven Central too, or from --test-jars DIR.
#
# Usage:
#   jenkins-plugin/verify-against-jenkins-sources.sh [--jars DIR] [--shared-policy-classes DIR]
#       [--test-jars DIR] [--with-tests] [--spotbugs] [--protocol-test] [--legacy TREE]...
#       [--work DIR] TREE...
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
jars=""
test_jars=""
shared_classes=""
with_tests=0
spotbugs=0
protocol_test=0
work=""
legacy_trees=()

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jars) jars="$2"; shift 2 ;;
    --test-jars) test_jars="$2"; shift 2 ;;
    --shared-policy-classes) shared_classes="$2"; shift 2 ;;
    --with-tests) with_tests=1; shift ;;
    --spotbugs) spotbugs=1; shift ;;
    --protocol-test) protocol_test=1; shift ;;
    --legacy) legacy_trees+=("$2"); shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "unknown option: $1" >&2; usage ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo "give at least one source tree" >&2; usage; }
for tree in "$@"; do
  [[ -d "$tree" ]] || { echo "not a directory: $tree" >&2; exit 2; }
done

work="${work:-$(mktemp -d -t dvo-jenkins-verify.XXXXXX)}"
mkdir -p "$work"
echo "work directory: $work"

# 1. Source roots.
source_roots=()
while IFS= read -r dir; do
  source_roots+=("$dir")
done < <(for tree in "$@"; do find "$tree" -type d -path '*/src/main/java' -prune; done | sort -u)
[[ ${#source_roots[@]} -gt 0 ]] || { echo "no src/main/java under the given trees" >&2; exit 1; }
echo "source roots: ${#source_roots[@]}"

# 2. Stubs for generated classes (compile-only: signatures, no behaviour).
generated="$work/generated"
rm -rf "$generated" && mkdir -p "$generated"
python3 - "$generated" "$@" <<'PY'
import os, re, sys
out, trees = sys.argv[1], sys.argv[2:]

def java_name(key):
    name = re.sub(r'[^A-Za-z0-9_$]', '_', key)
    return '_' + name if name[0].isdigit() else name

def keys(path):
    result, cont = [], False
    with open(path, encoding='latin-1') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if cont:
                cont = line.endswith('\\')
                continue
            s = line.strip()
            if not s or s[0] in '#!':
                continue
            m = re.match(r'((?:\\.|[^=:\s\\])+)', s)
            if m:
                result.append(m.group(1).replace('\\', ''))
            cont = line.endswith('\\')
    return result

def write(pkg, cls, body):
    d = os.path.join(out, *pkg.split('.')) if pkg else out
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, cls + '.java'), 'w') as f:
        f.write(('package %s;\n' % pkg if pkg else '') + body)

count = 0
for tree in trees:
    for root, dirs, files in os.walk(tree):
        norm = root.replace(os.sep, '/')
        if 'Messages.properties' in files and '/src/main/resources' in norm:
            base, rel = norm.split('/src/main/resources', 1)
            pkg = rel.strip('/').replace('/', '.')
            if os.path.exists(os.path.join(base, 'src/main/java', rel.strip('/'), 'Messages.java')):
                continue
            methods = []
            for k in dict.fromkeys(keys(os.path.join(root, 'Messages.properties'))):
                n = java_name(k)
                methods.append('  public static String %s(Object... a) { return null; }\n' % n)
                methods.append('  public static org.jvnet.localizer.Localizable _%s(Object... a) { return null; }\n' % n)
            write(pkg, 'Messages', 'public class Messages {\n' + ''.join(methods) + '}\n')
            count += 1
        for g in (f for f in files if f.endswith('.g4') and '/src/main/antlr4' in norm):
            pkg = norm.split('/src/main/antlr4', 1)[1].strip('/').replace('/', '.')
            write(pkg, g[:-3], 'public class %s {}\n' % g[:-3])
            count += 1
print('generated stubs: %d' % count)
PY

# A throw-away POM whose only purpose is `dependency:copy-dependencies` from Maven Central.
write_pom() {
  local file="$1"
  shift
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo '<groupId>local.verify</groupId><artifactId>central-jars</artifactId><version>1</version><dependencies>'
    for gav in "$@"; do
      IFS=: read -r g a v <<<"$gav"
      echo "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
    done
    echo '</dependencies></project>'
  } >"$file"
}

# 3. Third-party jars from Maven Central (versions as pinned by Jenkins core 2.541.3's BOM).
if [[ -z "$jars" ]]; then
  jars="$work/jars"
  mkdir -p "$work/central"
  deps=(
    args4j:args4j:2.37 com.github.spotbugs:spotbugs-annotations:4.9.8
    com.google.guava:guava:33.5.0-jre com.google.inject:guice:6.0.0
    com.thoughtworks.xstream:xstream:1.4.21 commons-beanutils:commons-beanutils:1.11.0
    commons-codec:commons-codec:1.20.0 commons-collections:commons-collections:3.2.2
    commons-io:commons-io:2.20.0 commons-lang:commons-lang:2.6
    jakarta.servlet:jakarta.servlet-api:5.0.0 org.eclipse.jetty.toolchain:jetty-servlet-api:4.0.6
    net.java.sezpoz:sezpoz:1.13 net.jcip:jcip-annotations:1.0 org.apache.ant:ant:1.10.15
    org.apache.commons:commons-fileupload2-core:2.0.0-M4
    org.apache.commons:commons-fileupload2-jakarta-servlet5:2.0.0-M4
    org.codehaus.groovy:groovy-all:2.4.21 org.jvnet.localizer:localizer:1.31
    org.springframework.security:spring-security-web:6.5.7
    org.springframework.security:spring-security-core:6.5.7 org.slf4j:slf4j-api:2.0.17
    org.jfree:jfreechart:1.0.19 org.ow2.asm:asm:9.9 commons-logging:commons-logging:1.3.5
    jakarta.annotation:jakarta.annotation-api:3.0.0 javax.annotation:javax.annotation-api:1.3.2
    jakarta.inject:jakarta.inject-api:2.0.1 javax.inject:javax.inject:1
    net.java.dev.jna:jna:5.18.1 com.sun.xml.txw2:txw2:20110809 jaxen:jaxen:2.0.0
    org.antlr:antlr4-runtime:4.13.2 org.dom4j:dom4j:2.1.4
    org.glassfish.tyrus.bundles:tyrus-standalone-client-jdk:2.2.1
    jakarta.websocket:jakarta.websocket-client-api:2.2.0
    org.kohsuke.metainf-services:metainf-services:1.11
    com.fasterxml.jackson.core:jackson-databind:2.20.1
    com.fasterxml.jackson.datatype:jackson-datatype-jsr310:2.20.1
    com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:2.20.1 com.google.re2j:re2j:1.8
    commons-jexl:commons-jexl:1.1 org.apache.commons:commons-lang3:3.19.0
  )
  write_pom "$work/central/pom.xml" "${deps[@]}"
  mvn -q -f "$work/central/pom.xml" dependency:copy-dependencies -DoutputDirectory="$jars"
fi
classpath="$(find "$jars" -name '*.jar' | sort | tr '\n' ':')"

# 4. shared-policy classes.
if [[ -z "$shared_classes" ]]; then
  (cd "$repo" && mvn -q -pl shared-policy compile)
  shared_classes="$repo/shared-policy/target/classes"
fi
classpath="$classpath$shared_classes"

# Old libraries whose sources no longer compile as Java 17 go on the class path, compiled alone.
if [[ ${#legacy_trees[@]} -gt 0 ]]; then
  legacy_out="$work/legacy-classes"
  rm -rf "$legacy_out" && mkdir -p "$legacy_out"
  mapfile -t legacy_sources < <(for tree in "${legacy_trees[@]}"; do find "$tree" -path '*/src/main/java/*' -name '*.java'; done)
  javac --release 8 -nowarn -proc:none -encoding UTF-8 -d "$legacy_out" "${legacy_sources[@]}" 2>&1 \
    | grep -v -e '^warning: \[options\]' -e "as of release 9, '_' is a keyword" -e '^Note:' || true
  classpath="$classpath:$legacy_out"
fi

sourcepath="$(IFS=:; echo "${source_roots[*]}"):$generated"

# 5. Compile. javac also lints the Jenkins sources it reads; only this plugin's lines are shown.
run_javac() {
  local log="$1"
  shift
  if ! javac --release 17 -proc:none -implicit:none -encoding UTF-8 \
    -Xlint:deprecation,unchecked,rawtypes -Xmaxerrs 200 -Xmaxwarns 10000 "$@" >"$log" 2>&1; then
    grep -A4 ': error:' "$log" >&2 || cat "$log" >&2
    echo "FAILED: see $log" >&2
    exit 1
  fi
  local own
  own="$(grep -A4 "^$here/src/.*: warning:" "$log" || true)"
  if [[ -n "$own" ]]; then
    echo "$own"
    echo "warnings in the plugin's sources: $(grep -c "^$here/src/.*: warning:" "$log")"
  else
    echo "no warnings in the plugin's sources (full javac output: $log)"
  fi
}

out="$work/classes"
rm -rf "$out" && mkdir -p "$out"
mapfile -t main_sources < <(find "$here/src/main/java" -name '*.java' | sort)
echo "compiling ${#main_sources[@]} plugin classes against the Jenkins sources..."
run_javac "$work/javac-main.log" -d "$out" -cp "$classpath" -sourcepath "$sourcepath" "${main_sources[@]}"
echo "OK: main classes compile: $(find "$out" -name '*.class' | wc -l) class files"

if [[ $with_tests -eq 1 ]]; then
  if [[ -z "$test_jars" ]]; then
    test_jars="$work/test-jars"
    mkdir -p "$work/central-test"
    test_deps=(
      org.htmlunit:htmlunit:5.2.0 org.eclipse.jetty.ee9:jetty-ee9-webapp:12.1.8
      org.eclipse.jetty.ee10:jetty-ee10-webapp:12.1.8
      org.eclipse.jetty.ee9.websocket:jetty-ee9-websocket-jetty-server:12.1.8
      org.eclipse.jetty.ee10.websocket:jetty-ee10-websocket-jetty-server:12.1.8
      org.eclipse.jetty:jetty-security:12.1.8 junit:junit:4.13.2
      org.junit.jupiter:junit-jupiter-api:5.12.2 org.junit.jupiter:junit-jupiter-params:5.12.2
      org.junit.platform:junit-platform-suite-api:1.12.2 org.hamcrest:hamcrest:3.0
      org.assertj:assertj-core:3.27.3 org.netbeans.modules:org-netbeans-insane:RELEASE200
      org.openjdk.jmh:jmh-core:1.37 org.mockito:mockito-core:5.20.0
      org.jboss.marshalling:jboss-marshalling-river:2.3.0
      com.github.ben-manes.caffeine:caffeine:3.2.2 io.dropwizard.metrics:metrics-core:4.2.33
      io.dropwizard.metrics:metrics-healthchecks:4.2.33 io.dropwizard.metrics:metrics-jmx:4.2.33
    )
    write_pom "$work/central-test/pom.xml" "${test_deps[@]}"
    mvn -q -f "$work/central-test/pom.xml" dependency:copy-dependencies -DoutputDirectory="$test_jars"
  fi
  test_out="$work/test-classes"
  rm -rf "$test_out" && mkdir -p "$test_out"
  mapfile -t test_sources < <(find "$here/src/test/java" -name '*.java' | sort)
  test_classpath="$out:$classpath:$(find "$test_jars" -name '*.jar' | sort | tr '\n' ':')"
  echo "compiling ${#test_sources[@]} test classes..."
  run_javac "$work/javac-test.log" -d "$test_out" -cp "$test_classpath" -sourcepath "$sourcepath" \
    "${test_sources[@]}"
  echo "OK: test classes compile"
fi

# 6. Jelly views (and the POM) are XML: check they are well-formed.
python3 - "$here/src/main/resources" "$here/pom.xml" <<'PY'
import os, sys, xml.dom.minidom
xml.dom.minidom.parse(sys.argv[2])
print('OK: pom.xml is well-formed XML')
n = 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith('.jelly'):
            xml.dom.minidom.parse(os.path.join(root, f))
            n += 1
print('OK: %d jelly files are well-formed XML' % n)
PY

# The POM's parent and BOM are out of reach, but Maven's own reader can still parse it strictly
# (unknown or misplaced elements fail).
maven_home="$(dirname "$(dirname "$(readlink -f "$(command -v mvn)")")")"
model_cp="$(find "$maven_home/lib" -name 'maven-model-3*.jar' -o -name 'plexus-utils*.jar' -o -name 'plexus-xml*.jar' | tr '\n' ':')"
mkdir -p "$work/pom-check"
cat >"$work/pom-check/StrictPom.java" <<'JAVA'
public class StrictPom {
  public static void main(String[] args) throws Exception {
    try (java.io.Reader in = new java.io.FileReader(args[0])) {
      org.apache.maven.model.Model m =
          new org.apache.maven.model.io.xpp3.MavenXpp3Reader().read(in, true);
      System.out.println("OK: pom.xml parses strictly: " + m.getArtifactId() + " ("
          + m.getPackaging() + "), parent " + m.getParent().getId());
    }
  }
}
JAVA
javac -d "$work/pom-check" -cp "$model_cp" "$work/pom-check/StrictPom.java"
java -cp "$work/pom-check:$model_cp" StrictPom "$here/pom.xml"

if [[ $spotbugs -eq 1 ]]; then
  mkdir -p "$work/central-spotbugs"
  write_pom "$work/central-spotbugs/pom.xml" com.github.spotbugs:spotbugs:4.9.8
  mvn -q -f "$work/central-spotbugs/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$work/spotbugs"
  # The same omitted detectors as org.jenkins-ci.plugins:plugin 6.x (spotbugs.omitVisitors).
  findings="$(java -cp "$work/spotbugs/*" edu.umd.cs.findbugs.FindBugs2 -effort:max -low \
    -omitVisitors ConstructorThrow,FindReturnRef,MultipleInstantiationsOfSingletons,SharedVariableAtomicityDetector,ThrowingExceptions \
    -auxclasspath "$classpath" "$out" 2>/dev/null | grep -E '^[HML] ' || true)"
  if [[ -n "$findings" ]]; then
    echo "$findings"
    echo "FAILED: SpotBugs findings in the plugin classes" >&2
    exit 1
  fi
  echo "OK: SpotBugs (effort max, threshold low) reports nothing in the plugin classes"
fi

if [[ $protocol_test -eq 1 ]]; then
  mkdir -p "$work/central-junit"
  write_pom "$work/central-junit/pom.xml" \
    org.junit.platform:junit-platform-console-standalone:1.12.2 org.assertj:assertj-core:3.27.3
  mvn -q -f "$work/central-junit/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/junit"
  proto_out="$work/protocol-test-classes"
  rm -rf "$proto_out" && mkdir -p "$proto_out"
  proto_cp="$classpath:$(find "$work/junit" -name '*.jar' | sort | tr '\n' ':')"
  t="$here/src/test/java/io/dvo/gate/jenkins"
  javac --release 17 -encoding UTF-8 -d "$proto_out" -cp "$proto_cp" \
    "$t/StubGateProtocolTest.java" "$t/StubGate.java" "$t/GateFixtures.java"
  java -jar "$work/junit/junit-platform-console-standalone-1.12.2.jar" execute \
    --disable-banner --details=summary --fail-if-no-tests \
    -cp "$proto_out:$proto_cp" --select-class io.dvo.gate.jenkins.StubGateProtocolTest
  echo "OK: the stub gate speaks the protocol of shared-policy's client"
fi
