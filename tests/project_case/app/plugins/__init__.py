from .base import AppPlugin
