"""mlpm core: the estimation domain (scenario, rules, engine, decision), free of any UI."""

__version__ = "0.1.0"
