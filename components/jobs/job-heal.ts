// A job page's read that failed (a 503 while the database was busy, a network
// blip) is read again every two seconds until it succeeds, so that no part of
// the page stays behind another; otherwise reads follow the job's events.
export const healing = (query: { state: { status: string } }) => (query.state.status === "error" ? 2_000 : false);
