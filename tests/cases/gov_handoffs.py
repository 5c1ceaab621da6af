"""Plugin code handed to a function that calls what it is given (issue 32): the hand-over
is the execution (the helper's own call of its parameter is generic)."""
# flake8 args: --execgov-extend-plugin-names=hook --execgov-extend-run-methods=startup
import asyncio


async def await_me_maybe(value):
    if callable(value):
        value = value()
    if asyncio.iscoroutine(value):
        value = await value
    return value


def wrap_view(view_fn, datasette):
    async def view(request):
        return await view_fn(request, datasette)
    return view


def call_with(fn=None, *, handler, **kwargs):
    return handler(**kwargs)


def keeps(value):
    return [value]


async def host(pm, datasette, plugin, page):
    for hook in pm.hook.startup(datasette=datasette):  # expect: GOV001:17
        await await_me_maybe(hook)  # expect: GOV001:30
        keeps(hook)
    for view in plugin.run(page):  # expect: GOV001:17
        wrap_view(view, datasette)  # expect: GOV001:19
        wrap_view(page, view)
        call_with(handler=view)  # expect: GOV001:27
        call_with(view)
    await await_me_maybe(page)


def steps(plugin):
    return plugin.run()  # expect: GOV001:12


def kept(plugin):
    made = plugin.run()  # expect: GOV001:12
    return made


def unrelated(obj):
    return obj.run()


def uses_returns(plugin, obj):
    for step in steps(plugin):
        step()  # expect: GOV001:9
    fn = kept(plugin)
    fn()  # expect: GOV001:5
    await_me_maybe(fn)  # expect: GOV001:20
    other = unrelated(obj)
    other()
    fn.get("x")
