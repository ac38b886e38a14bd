package com.neurocards.gateway.conversation;

/** Where a user is in the conversation; persisted, so a restart resumes at the same step. */
public enum Step {
    MENU,
    AWAIT_PHOTO,
    AWAIT_DESCRIPTION,
    AWAIT_TEMPLATE,
    AWAIT_WISHES,
    AWAIT_PROMPT,
    AWAIT_MODEL,
    AWAIT_COUNT,
    AWAIT_CONFIRM,
    AWAIT_EDIT_CHOICE
}
