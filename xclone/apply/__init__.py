"""Apply: run a plan's actions in dependency order, in parallel, and judge every result.

The executor never decides what to do: it runs the plan it is given, node by node where a
batched command fails for some nodes only, and reports events for the CLI to show. `session` is
the application service around it (lock, plan under the lock, review, execute, unlock, journal)
that apply, destroy and import share; the driver judges each command's result (`checks`: the
verdict) and polls its long operations (`waits`: the limits).
"""
