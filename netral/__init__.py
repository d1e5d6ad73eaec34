"""Netral: supervision of the political neutrality of public officials during elections."""
