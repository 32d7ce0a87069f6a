"""The mlpm command line: parse, call one domain function, print."""
