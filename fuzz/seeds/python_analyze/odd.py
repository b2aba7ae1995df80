from sym.sdk.annotations import *
from sym.sdk.integrations import slack, pagerduty as pd
import sym.sdk.templates as t

class X:
    y = [i for i in range(3) if (z := i)]
    def m(self, *a, **k): return lambda q=1: q

@reducer
async def get_approvers(event):
    match event.payload.fields.get("x"):
        case {"a": [1, *rest]}: pass
        case _: pass
    try:
        import missing
    except ImportError:
        missing = None
    return slack.channel(f"#{event.flow.vars['chan']!r:>10}")

type Alias[T] = list[T]
def g[T](x: T) -> T: return x
@hook
def after_approve(evt): global q; del q
