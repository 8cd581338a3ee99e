"""The stages of the pipeline, each a set of small pure decisions the plan is made of."""
