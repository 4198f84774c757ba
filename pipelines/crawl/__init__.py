"""The crawl domain: partitions, the extract/classify/graph assets, their checks and sensor."""
