"""Tests of the inadmissible-person cases (admit.cases and its interfaces)."""
