"""Pure transparency code: log entries, RFC 9162 Merkle hashing; imports only the domain."""
