import { Router, type NextFunction, type Request, type Response } from 'express';
import { Review, Reviewer } from '../models';

export const reviewsRouter = Router();

interface NewReview {
  reviewerId: number;
  stars: number;
  body: string;
}

/** N+1: one reviewer query per review (`findByPk` in a loop). */
reviewsRouter.get('/products/:id/reviews', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const reviews = await Review.findAll({ where: { productId: req.params.id }, limit: 50 });
    const out = [];
    for (const review of reviews) {
      const reviewer = await Reviewer.findByPk(review.reviewerId);
      out.push({ stars: review.stars, body: review.body, by: reviewer?.displayName ?? 'anonymous' });
    }
    res.json(out);
  } catch (error) {
    next(error);
  }
});

/** N+1 through the association accessor: `getReviewer()` is a query per review. */
reviewsRouter.get('/products/:id/reviewers', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const reviews = await Review.findAll({ where: { productId: req.params.id } });
    const names = await Promise.all(reviews.map(async (review) => (await review.getReviewer()).displayName));
    res.json(names);
  } catch (error) {
    next(error);
  }
});

/** N+1 writes: one INSERT per review; `bulkCreate` writes them in one statement. */
reviewsRouter.post('/products/:id/reviews/import', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const incoming = req.body as NewReview[];
    for (const item of incoming) {
      await Review.create({ productId: req.params.id, reviewerId: item.reviewerId, stars: item.stars, body: item.body });
    }
    res.status(204).end();
  } catch (error) {
    next(error);
  }
});

/** Batched: the association loaded with the reviews, in one query. */
reviewsRouter.get('/products/:id/reviews-with-reviewers', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const reviews = await Review.findAll({ where: { productId: req.params.id }, include: [{ model: Reviewer, as: 'reviewer' }], limit: 50 });
    res.json(reviews);
  } catch (error) {
    next(error);
  }
});
