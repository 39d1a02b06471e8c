"""The default theme: these templates and static/ ship inside the package as `timeline.default_theme`."""
