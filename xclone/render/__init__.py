"""Renderers: a Plan in, text out (terminal text, JSON, markdown for pull requests, dot/mermaid).

They only read the plan; nothing here decides what to do.
"""
