# ckanext is a namespace shared by CKAN and every extension.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
