/* URL names from Vietnamese titles, in the browser as on the server (lib/text.py
 * slugify): CKAN's slug preview ($.url.slugify, jquery.url-helpers.js) maps each
 * character through a table that lacks most Vietnamese letters and turns them into
 * hyphens ("Sở Tài nguyên" -> "s-tai-nguyen"). The accents are taken off first and
 * đ becomes d, then CKAN's own slugify runs. Wrapped here, not patched in CKAN: every
 * form with a slug preview (organization, group, harvest source) gets it. */
(function ($) {
  if (!$ || !$.url || !$.url.slugify || $.url.slugify.vndata) {
    return;
  }
  var ckanSlugify = $.url.slugify;

  function stripAccents(text) {
    return String(text || '')
      .replace(/đ/g, 'd').replace(/Đ/g, 'D')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '');
  }

  $.url.slugify = function (string, trim) {
    return ckanSlugify.call(this, stripAccents(string), trim);
  };
  $.url.slugify.vndata = true;
})(window.jQuery);
