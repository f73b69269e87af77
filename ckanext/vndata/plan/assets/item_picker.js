/* The dataset form's plan item picker: only the items of the chosen organization,
 * searchable by number and title (select2, as CKAN's own selects). The server
 * checks the choice again (plan/logic/link_validators.py). */
this.ckan.module('vndata-plan-item-picker', function ($) {
  return {
    options: {none: ''},
    initialize: function () {
      $.proxyAll(this, /_on/);
      this.groups = this.el.find('optgroup').detach();
      this.organization = $('#field-organizations');
      this.organization.on('change', this._onOrganization);
      this._onOrganization();
    },
    _onOrganization: function () {
      // No organization chosen (or none to choose): every group, each under its
      // organization's name.
      var chosen = this.organization.length ? this.organization.val() : '';
      var value = this.el.val();
      this.el.find('optgroup').remove();
      var groups = this.groups.filter(function () {
        return !chosen || $(this).data('organization') === chosen;
      });
      this.el.append(groups.clone());
      if (!this.el.find('option').filter(function () {
        return this.value === value;
      }).length) {
        value = '';
      }
      this.el.val(value);
      if (this.el.data('select2')) {
        this.el.select2('destroy');
      }
      var none = this.options.none;
      this.el.select2({
        width: '100%',
        formatNoMatches: function () { return none; }
      });
    }
  };
});
