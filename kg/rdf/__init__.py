"""RDF stages: vocabulary, IRIs, graph building, validation, export and query."""
