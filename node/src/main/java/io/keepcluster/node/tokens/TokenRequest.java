package io.keepcluster.node.tokens;

/** The identity a token is issued for. */
public record TokenRequest(String dn, String email, String scope) {}
