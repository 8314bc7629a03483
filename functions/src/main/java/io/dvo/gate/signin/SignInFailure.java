package io.dvo.gate.signin;

/**
 * A sign-in that cannot complete, with a message written for the person in the browser (it never
 * holds a secret, a token or a stack trace). {@code providerDown} separates "try again later" from
 * "this answer is not accepted".
 */
final class SignInFailure extends Exception {
  private final boolean providerDown;

  SignInFailure(String message, boolean providerDown) {
    super(message, null, false, false);
    this.providerDown = providerDown;
  }

  boolean providerDown() {
    return providerDown;
  }
}
