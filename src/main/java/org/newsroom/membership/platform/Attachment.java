package org.newsroom.membership.platform;

/** A file a queued mail carries. */
public record Attachment(String name, String contentType, byte[] content) {}
