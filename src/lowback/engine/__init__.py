"""Pure functions over catalog values: triage, the stage machine, gates, load and progression.

The middle layer: it imports the catalog, never an edge (wire, CLI).
"""
