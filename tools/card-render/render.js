/*
 * Renders one Adaptive Card roughly as the Teams light theme shows it, and reports what the
 * adaptivecards library finds wrong with the card when it reads it as version 1.4 (the highest
 * version Teams Workflows renders). Loaded by a page next to adaptivecards.min.js; no network.
 */
(function () {
  "use strict";
  var AC = window.AdaptiveCards;

  function teamsLightHostConfig() {
    var foreground = {
      "default": { "default": "#242424", "subtle": "#616161" },
      "dark": { "default": "#242424", "subtle": "#424242" },
      "light": { "default": "#ffffff", "subtle": "#e0e0e0" },
      "accent": { "default": "#5b5fc7", "subtle": "#4f52b2" },
      "good": { "default": "#0e700e", "subtle": "#0e700e" },
      "warning": { "default": "#835b00", "subtle": "#835b00" },
      "attention": { "default": "#c50f1f", "subtle": "#c50f1f" }
    };
    return {
      "fontFamily": "'Segoe UI', system-ui, 'DejaVu Sans', sans-serif",
      "supportsInteractivity": true,
      "spacing": { "small": 4, "default": 8, "medium": 16, "large": 20, "extraLarge": 24, "padding": 16 },
      "separator": { "lineThickness": 1, "lineColor": "#e0e0e0" },
      "fontSizes": { "small": 12, "default": 14, "medium": 16, "large": 20, "extraLarge": 24 },
      "fontWeights": { "lighter": 300, "default": 400, "bolder": 600 },
      "containerStyles": {
        "default": { "backgroundColor": "#ffffff", "foregroundColors": foreground },
        "emphasis": { "backgroundColor": "#f5f5f5", "foregroundColors": foreground }
      },
      "actions": {
        "maxActions": 6, "spacing": "default", "buttonSpacing": 8,
        "showCard": { "actionMode": "inline", "inlineTopMargin": 8 },
        "actionsOrientation": "horizontal", "actionAlignment": "left"
      }
    };
  }

  /** Renders {@code card} into {@code target}; returns the list of problems found (strings). */
  window.renderCard = function (card, target) {
    var adaptiveCard = new AC.AdaptiveCard();
    adaptiveCard.hostConfig = new AC.HostConfig(teamsLightHostConfig());
    var context = new AC.SerializationContext(AC.Versions.v1_4);
    adaptiveCard.parse(card, context);
    var problems = [];
    for (var i = 0; i < context.eventCount; i++) {
      problems.push("parse: " + context.getEventAt(i).message);
    }
    var validation = adaptiveCard.validateProperties();
    for (var v = 0; v < validation.validationEvents.length; v++) {
      problems.push("validate: " + validation.validationEvents[v].message);
    }
    var rendered = adaptiveCard.render();
    if (!rendered) {
      problems.push("render: nothing was rendered");
    } else {
      target.appendChild(rendered);
    }
    return problems;
  };
})();
