"""Provisioning drivers: one folder per path from a spec to installed LPARs (`xcat/`).

A driver supplies what the driver-neutral core cannot know (protocol.py): the probes that
observe its systems, the resource planners that compare and emit steps, its closed set of action
kinds, the judges of its commands' results, its waits and its read-backs. The core reaches a
driver only through `registry.driver(name)`; no driver imports another one. `base.py` holds
the members that every driver forwards to its own modules the same way (`DriverBase`).
"""
