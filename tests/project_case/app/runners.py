class ToolRunner:
    def run(self, name, payload):
        return name, payload
