"""Nothing here names a plugin: the helpers it calls execute them elsewhere."""
from app.helpers import relay
from . import helpers as h


def nightly(payload):
    return relay("ocr", payload)  # expect: GOV001:12


def hourly(payload):
    h.execute("ocr", payload)  # expect: GOV001:5


def schedule(pool, payload):
    pool.submit(relay, "ocr", payload)  # expect: GOV001:17


def looked_at():
    return callable(relay)


def shadowed(relay):
    return relay()
