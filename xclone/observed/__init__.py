"""What the cluster looks like now: read-only probes, pure parsers, and the typed observed model.

`probes` is the value a driver's read-only commands are; `parsers/` turn their text into data;
`observe` runs the probes through a transport and builds an `Observed` (`model`) plus the raw
outputs, which `snapshot` saves and loads; `canonical` digests an observation for plan files.
`messages` (the message-id table) is read by a driver's result judges as well
(drivers/xcat/outcomes.py). The CLI, the planner and the drivers call in here.
"""
