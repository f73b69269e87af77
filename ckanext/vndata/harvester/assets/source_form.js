/* The harvest source form: the configuration help of the harvester type chosen.
   Every type's help is in the page (each shown without JavaScript); this shows
   only the one whose radio button is checked, and follows a change of type. */
this.ckan.module("vndata-config-help", function ($) {
  return {
    initialize: function () {
      var help = this.el;
      function show() {
        var type = $("input[name=source_type]:checked").val();
        help.find("[data-source-type]").each(function () {
          this.hidden = this.getAttribute("data-source-type") !== type;
        });
      }
      $(document).on("change", "input[name=source_type]", show);
      show();
    }
  };
});

/* "Try the mapping" of a JSON API source: posts the form as it is (its CSRF token
   too) and shows the result the portal renders (escaped text only) under the
   button. Shown only while that type is chosen. */
this.ckan.module("vndata-mapping-preview", function ($) {
  return {
    options: { url: null, busy: "", failed: "" },
    initialize: function () {
      var el = this.el, options = this.options;
      var button = el.find("button"), result = el.find(".vndata-mapping-preview-result");
      function show() {
        el.prop("hidden", $("input[name=source_type]:checked").val() !== "vndata_json");
      }
      $(document).on("change", "input[name=source_type]", show);
      show();
      button.on("click", function () {
        var form = button.closest("form")[0];
        button.prop("disabled", true);
        result.attr("aria-busy", "true").empty().append($("<p>").text(options.busy));
        fetch(options.url, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Requested-With": "XMLHttpRequest" }
        }).then(function (response) {
          return response.text().then(function (text) {
            if (!response.ok) { throw new Error(response.status); }
            result.html(text);  // the portal's own template, escaped
          });
        }).catch(function () {
          result.empty().append($("<div class='alert alert-danger'>").text(options.failed));
        }).then(function () {
          button.prop("disabled", false);
          result.attr("aria-busy", "false");
        });
      });
    }
  };
});
