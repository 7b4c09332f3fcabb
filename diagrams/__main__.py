"""`python -m diagrams`: render every figure that is not cached, without MkDocs."""
import sys

from diagrams._runner import FigureError, render_all


def main() -> int:
    try:
        report = render_all()
    except FigureError as error:
        print(error, file=sys.stderr)
        return 1
    print(report.summary())
    if report.rendered:
        print(report.timings())
    for figure in report.figures:
        print(f"{figure.src_uri} <- {figure.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
