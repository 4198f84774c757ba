"""The link-context classifier: features, training, evaluation, versioned artefacts, prediction."""
