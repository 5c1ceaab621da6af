from app.plugins.ocr import OcrPlugin


def handle(payload):
    engine = OcrPlugin()
    return engine.run(payload)  # expect: GOV001:12
