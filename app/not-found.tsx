import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto mt-24 max-w-md text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">There is nothing at this address: the job, model or page may have been removed.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-sky-800 hover:underline dark:text-sky-300">
        Back to the matrix
      </Link>
    </div>
  );
}
