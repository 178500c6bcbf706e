"""The planner: diff the spec against the observed cluster, order the actions in a DAG, batch them.

`make_plan(spec, observed, options)` is the one entry point. It never runs a command: it returns a
frozen `Plan` that renderers show and the executor runs, exactly as shown. What to compare and
which commands to emit is the spec's driver's (drivers/registry.py); plan/ holds only the
driver-neutral core: changes, steps and actions, the graph and batching, the plan document.
"""
