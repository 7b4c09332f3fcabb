"""`python -m engine`: render every figure and compute every fact that is not cached."""
import sys

from engine._runner import GenerationError, render_all


def main() -> int:
    try:
        report = render_all(progress=print)
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 1
    print(report.summary())
    if report.rendered:
        print(report.timings())
    for product in report.products:
        print(f"{product.script.relative_to(product.script.parents[2])} -> {product.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
