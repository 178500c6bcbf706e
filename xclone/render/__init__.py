"""Renderers: a Plan in, text out (terminal text, JSON, markdown for pull requests, dot/mermaid).

`diff` renders a semantic spec diff for reviewers and `progress` shows apply's events as they
come. They only read what they are given; nothing here decides what to do.
"""
