import { assertAgencyScope, type Principal } from '@ioc/auth';
import { UnitOfWork } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { type CleanPhoto, PhotoSanitizer } from '../photos/photo-sanitizer';
import {
  InvalidPhotoError,
  PhotoNotFoundError,
  PhotoTooManyPixelsError,
  ReportNotFoundError,
  TooManyPhotosError,
} from './report.errors';
import { type PhotoKind, ReportsRepository } from './reports.repository';
import { ReportsPolicy } from './reports.policy';

/** A stored photo as served. */
export interface StoredPhoto {
  contentType: string;
  bytes: Buffer;
}

/** Photos of reports: checked and stripped before anything is stored, served to whoever may see them. */
@Injectable()
export class ReportPhotosService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reports: ReportsRepository,
    private readonly sanitizer: PhotoSanitizer,
    private readonly policy: ReportsPolicy,
  ) {}

  /** Photos decoded and re-encoded, pixels only, before anything is stored (see PhotoSanitizer). */
  async clean(photos: readonly Buffer[]): Promise<CleanPhoto[]> {
    if (photos.length > this.policy.maxPhotos) throw new TooManyPhotosError(this.policy.maxPhotos);
    const cleaned: CleanPhoto[] = [];
    // One at a time: each decode may hold up to maxInputPixels in memory.
    for (const [index, photo] of photos.entries()) {
      const verdict = await this.sanitizer.sanitize(photo);
      if (!verdict.ok)
        throw verdict.refusal === 'too-many-pixels'
          ? new PhotoTooManyPixelsError(index, this.sanitizer.maxInputPixels)
          : new InvalidPhotoError(index);
      cleaned.push(verdict.photo);
    }
    return cleaned;
  }

  /** A photo of the agency's answer: public, like the answer itself. */
  answerPhoto(trackingCode: string, position: number): Promise<StoredPhoto> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findByTrackingCode(tx, trackingCode);
      if (!report || report.answer === null) throw new ReportNotFoundError();
      const photo = await this.reports.photo(tx, report.id, 'answer', position);
      if (!photo) throw new PhotoNotFoundError();
      return photo;
    });
  }

  /** A photo of a report, for whoever may see the report (the assigned agency, operators). */
  photo(principal: Principal, id: string, kind: PhotoKind, position: number): Promise<StoredPhoto> {
    return this.uow.run(async (tx) => {
      const report = await this.reports.findById(tx, id);
      if (!report) throw new ReportNotFoundError();
      assertAgencyScope(principal, report.agencyId, () => new ReportNotFoundError());
      const photo = await this.reports.photo(tx, id, kind, position);
      if (!photo) throw new PhotoNotFoundError();
      return photo;
    });
  }
}
