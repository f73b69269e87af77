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
