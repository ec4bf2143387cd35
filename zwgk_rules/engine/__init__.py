"""The checker: obligations from rules × units × periods, one streaming pass over events, findings."""
