-- KIE's completion callbacks that came before the pipeline had recorded the task they name: a render that ends at
-- once (an instant failure, a cached result) can call back while the create's answer is still on its way and the
-- submit stage has not yet committed the job's task id. The callback leaves its task id here; the submit stage, as
-- it records the task, takes the row and looks at the render at once instead of at the schedule's first look. Both
-- sides hold the task's transaction-scoped advisory lock while they read and write, so one of them always sees the
-- other (TaskCallbacks). A row nobody takes (the submission's record never came) goes after a day, when the next
-- early callback comes.
CREATE TABLE early_callback (
    kie_task_id TEXT        PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX early_callback_received_at ON early_callback (received_at);
