"""Re-exports: the alias and the plugin type, as users import them."""
from .deps import CurrentUser
from .plugins import AppPlugin

__all__ = ["AppPlugin", "CurrentUser"]
