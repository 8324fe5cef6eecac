"""Reports over the analyses: store glue, tables, charts, network files and the briefing."""
