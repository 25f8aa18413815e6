"""Crowd forecasts: calendar features, models with fallbacks, intervals and the backtest."""
