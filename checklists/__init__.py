"""Service checklists as data: office profiles and requirement lists (YAML), their closed schema,
the loader that reports a typo with its file and line, and the evaluator that applies them.

``checklists.load``: load_office, load_service, load_catalogue, is_known_service.
``checklists.evaluate``: evaluate(checklist, variant, manifest, documents) -> Verdict.
``checklists.names``: names_match (CONTRACT rule 8).
"""
