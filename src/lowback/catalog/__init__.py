"""The domain as typed, cited data: answers, symptoms, stages, red flags, exercises, rules.

The bottom layer: it imports nothing from :mod:`lowback.engine` or the edges.
"""
