from vendor.sdk import BasePlugin as SdkPlugin


class AppPlugin(SdkPlugin):
    def describe(self):
        return "app"
