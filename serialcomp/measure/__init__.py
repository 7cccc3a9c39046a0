"""Measurements: depth profiles, growth fits, accuracy of circuit families, studies."""
