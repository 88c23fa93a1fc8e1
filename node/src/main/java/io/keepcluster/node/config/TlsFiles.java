package io.keepcluster.node.config;

import java.nio.file.Path;

/**
 * The PEM files of the node's TLS certificate (config key {@code TLS}; env
 * {@code KEEP_TLS_CERT_FILE} / {@code KEEP_TLS_KEY_FILE}). Relative paths are resolved against
 * the config folder when parsed, so these are the paths the node actually reads.
 *
 * @param certFile the certificate, optionally followed by its intermediate certificates
 * @param keyFile the unencrypted private key of the first certificate (PKCS#8, PKCS#1 or SEC1)
 */
public record TlsFiles(Path certFile, Path keyFile) {}
