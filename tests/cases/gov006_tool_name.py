"""GOV006: a tool name falling back to a hard-coded default."""


def forms(request, payload, self):
    a = payload.get("tool_name", "default")  # expect: GOV006:34
    tool_name = "default"  # expect: GOV006:17
    tool_name: str = "Default"  # expect: GOV006:22
    self.tool_name = "DEFAULT"  # expect: GOV006:22
    b = tool_name or "default"  # expect: GOV006:22
    c = self.tool_name or "default"  # expect: GOV006:27
    d = payload.get("tool_name") or "default"  # expect: GOV006:37
    e = payload["tool_name"] or "default"  # expect: GOV006:33
    run(tool_name="default")  # expect: GOV006:19
    f = {"tool_name": "default"}  # expect: GOV006:23
    return a, b, c, d, e, f


def fallbacks(os, request, flag):
    tool_name = os.getenv("TOOL") or "default"  # expect: GOV006:38
    tool_name = request.tool if request.tool else "default"  # expect: GOV006:51
    run(tool_name=request.get("tool") or "Default")  # expect: GOV006:42
    settings = {"tool_name": os.getenv("T") or "default"}  # expect: GOV006:48
    tool_name = request.tool or os.getenv("TOOL")
    name = os.getenv("TOOL") or "default"
    return tool_name, settings, name


def parameter(tool_name="default"):  # expect: GOV006:25
    return tool_name


def keyword_only(*, tool_name: str = "default"):  # expect: GOV006:38
    return tool_name


def silent(payload, name):
    a = payload.get("tool_name", "ocr")
    b = payload.get("plugin_name", "default")
    c = payload.get("tool_name")
    name = "default"
    d = {"tool": "default", "tool_name": name}
    e = name or "default"
    f = payload.get("Tool_Name", "default")
    tool_name = payload["tool_name"]
    return a, b, c, d, e, f, tool_name
