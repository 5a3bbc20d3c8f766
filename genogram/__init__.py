"""The genogram with ecomap: the family and its network as a graph, its layout and drawing."""
