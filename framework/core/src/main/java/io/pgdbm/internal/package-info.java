/**
 * Implementation details of pgdbm. Nothing in this package or its sub-packages is supported API: it
 * may change in any release without notice. Use the types in {@code io.pgdbm} and its other
 * sub-packages instead.
 */
package io.pgdbm.internal;
