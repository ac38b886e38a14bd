package com.neurocards.emulators.telegram;

/** A file part of a multipart request, held in memory. */
record Upload(String fieldName, String fileName, String contentType, byte[] bytes) {}
