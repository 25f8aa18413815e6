"""Guidance: places, opening hours, walking graph, routes around crowds, group plans; domain only."""
