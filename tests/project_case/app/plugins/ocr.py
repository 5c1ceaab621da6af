from . import AppPlugin


class OcrPlugin(AppPlugin):
    def describe(self):
        return "ocr"
