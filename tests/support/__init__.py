"""Helpers shared by the tests, each defined once:

- `metadata`: the real runtimes' metadata read from tests/vectors (`real_metadata`,
  `real_pallet`, `summary_pallet`, `metadata_blob`), scalecodec over the real finney registry,
  and the comparison of our declarations with the real ones (`TypeWalker`,
  `assert_same_type`, `assert_pallet_matches`);
- `state`: `DictBackend`, a committed state in a dict under `Externalities`;
- `events`: `capture_events`, every event of the given pallets collected in order;
- `frame`: `frame_env`, System composed over a dict state for testing one pallet.
"""
